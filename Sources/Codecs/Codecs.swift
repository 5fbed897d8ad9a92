// The Codecs module. See README.md for the layout.
