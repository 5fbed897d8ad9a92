// TensorCore: tensors over one backend boundary, reverse-mode autodiff on an explicit tape, the
// ops a convolutional network needs (each with its gradient), modules with PyTorch state-dict names, Adam and
// StepLR.
//
// Layout
//   Tensor/    Tensor (storage handle + shape + strides + offset), DType, Shape, RandomGenerator
//   Backend/   Backend protocol (op families as methods), Storage; CPUBackend (+ caching allocator;
//              its pointer helpers are `package`, for op families that live in other targets, e.g.
//              Layers' fused photometric kernels)
//              — the only code that turns a tensor into a pointer; compute lives in Kernels
//   Autodiff/  Tape (explicit, caller-owned), Gradients, Tensor.differentiable for custom ops
//   Ops/       one op family per file, forward + backward side by side
//   Module/    Module protocol (explicit, ordered member listing), Parameter/Buffer, Conv2d,
//              BatchNorm2d, ModuleList, state_dict() (checkpoint loading lives in Networks)
//   Optim/     Adam (modern torch and torch 0.4.1 rules), StepLR
//
// Usage
//   var rng = RandomGenerator(seed: 1)
//   let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, generator: &rng)
//   let bn = BatchNorm2d(8)                                   // starts in training mode
//   let adam = Adam(parameters: conv.parameters() + bn.parameters(), learningRate: 1e-4)
//   let x = Tensor(shape: [2, 3, 16, 16], scalars: pixels)   // host values in, explicitly
//   let tape = Tape()
//   tape.watch(adam.parameters)                               // parameters become tape leaves
//   let loss = bn(conv(x)).elu().mean()                       // ops record on the tape
//   tape.backward(loss)                                       // accumulates Parameter.grad
//   adam.step(); adam.zeroGradients()
//   print(loss.scalar())                                      // host value out, explicitly
// Inference: call the modules without a tape (after `eval()` for BatchNorm); nothing is recorded.
