// The CommandLineKit module. See README.md for the layout.
