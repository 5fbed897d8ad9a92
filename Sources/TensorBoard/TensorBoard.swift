/// TensorBoard event files (TFRecord framing, Event/Summary protobufs) written by our own code.
public enum TensorBoardModule {}
