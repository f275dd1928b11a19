// Nothing: the baseline for import-time measurements.
export {};
