// Embedding worker thread entry (see runtime).
