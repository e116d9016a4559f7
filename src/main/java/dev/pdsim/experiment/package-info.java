/**
 * Many runs at once: the sweep file, its grid and the runner that streams rows in grid order on a
 * thread pool, the bench of every strategy on one workload, and calibration against published
 * figures. It builds on {@code serving} and the packages upstream of it; what it produces is
 * written by {@code report}, never here.
 */
package dev.pdsim.experiment;
