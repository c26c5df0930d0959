// Exact k-nearest-neighbor worker thread entry.
