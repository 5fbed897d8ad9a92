/// The original options.py (MONODEPTH2.md §1), declared once for train, evaluate and bench.
public enum OptionsModule {}
