/// Monodepth2 training: camera geometry losses, the step, the trainer and its checkpoints.
public enum TrainingModule {}
