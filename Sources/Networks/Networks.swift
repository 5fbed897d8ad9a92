// The Networks module. See README.md for the layout.
