/// A procedural street rendered from a moving stereo rig, written in the KITTI raw layout.
public enum SynthModule {}
