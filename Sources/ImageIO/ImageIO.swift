// The ImageIO module. See README.md for the layout.
