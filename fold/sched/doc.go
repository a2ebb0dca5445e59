// Package sched runs a directed acyclic graph of jobs on a pool of workers:
// the fold jobs of a PCD tree, where a node folds its children's
// accumulators once they are done, and a linear IVC chain is the special
// case of one child per node.
//
// A job names the jobs whose results it takes (its dependencies, in order)
// and runs once they have all finished, on one of a fixed number of worker
// goroutines (GOMAXPROCS by default). The first job to fail cancels the
// context every other job runs under; Run then waits for the jobs already
// running and returns that error, naming the job. Cancelling the caller's
// context stops the run the same way. A result that feeds other jobs is
// released once they have all taken it, so a long chain keeps only its
// frontier in memory; Run returns the results of the jobs nothing depends on.
package sched
