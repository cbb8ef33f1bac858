// Package nn is a small convolutional network over pretrained word vectors
// that reads a trainee sentence as sales acts (multi-label, 18 acts).
//
// Training (Train) runs in float32 with a fixed seed and example order, so
// the same data and seed give byte-identical weights. Inference (Net) runs
// in integer arithmetic over per-word precomputed convolution tables, so a
// sentence gets the same probabilities on every CPU.
//
// The package does no I/O of its own: vectors and models are read from an
// io.Reader and written to an io.Writer by the caller.
package nn
