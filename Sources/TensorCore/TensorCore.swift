// The TensorCore module. See README.md for the layout.
