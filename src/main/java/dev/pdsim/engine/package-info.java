/**
 * The discrete-event engine: the simulated clock in integer nanoseconds, the event calendar with
 * its total order (time, phase, insertion), and the seeded random streams, one per component.
 * It knows nothing about LLMs or serving and depends on no other pdsim package (only the JDK and
 * commons-math3's generators); only the packages that drive a simulation (workload, serving,
 * experiment, report, cli) may use it.
 */
package dev.pdsim.engine;
