/**
 * What a run measures: one record per request, latency percentiles, throughput in the measurement
 * window and the streaming CSV of requests. It depends on no other pdsim package; the serving
 * simulation fills it and the reports read it.
 */
package dev.pdsim.metrics;
