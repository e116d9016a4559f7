/**
 * Everything a run writes or prints: summary.json, requests.csv, timing.json, the Chrome trace, the
 * sweep's CSV, JSON, Pareto front, charts and HTML page, the bench table, the explain and cost
 * reports, and the console summary of a replay. It reads the results of {@code serving} and
 * {@code experiment} (and the topology and costs they came from); only {@code cli} depends on it.
 */
package dev.pdsim.report;
