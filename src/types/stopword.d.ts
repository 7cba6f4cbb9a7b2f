/** stopword ships no types: each language's list is an array of words (`eng`: 108 English function words). */
declare module "stopword" {
  export const eng: string[];
}
