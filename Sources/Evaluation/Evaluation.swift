// The Evaluation module. See README.md for the layout.
