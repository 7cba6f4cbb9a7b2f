-- Figures as data: a `figure` fact may carry a number, its unit, the period it covers and the series it belongs to.
ALTER TABLE "fact" ADD COLUMN "figure_value" DOUBLE PRECISION;
ALTER TABLE "fact" ADD COLUMN "figure_unit" TEXT;
ALTER TABLE "fact" ADD COLUMN "figure_period" TEXT;
ALTER TABLE "fact" ADD COLUMN "figure_series" TEXT;

-- CreateIndex
CREATE INDEX "fact_figure_series_figure_period_idx" ON "fact"("figure_series", "figure_period");
