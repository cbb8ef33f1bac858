package sim

// defaultReader is the classifier a conversation uses unless a test gives
// it another.
func defaultReader() actReader { return DefaultClassifier() }
