/**
 * Many runs at once: the sweep file, its grid, the one evaluation that turns an index of the grid
 * into its row, and the two runners that call it (a thread pool streaming rows in grid order, the
 * default; Apache Spark, for grids beyond one machine); the bench of every strategy on one
 * workload, and calibration against published figures. It builds on {@code serving} and the
 * packages upstream of it; what it produces is written by {@code report}, never here.
 */
package dev.pdsim.experiment;
