import ArrayIO
import Foundation
import TensorCore

/// torchvision's ImageNet ResNet weights for `--weights_init pretrained` (the original "V1" files
/// that networks/resnet_encoder.py loads through `models.resnetNN(pretrained=True)`). Nothing is downloaded: the file is looked up where torchvision caches it
/// (`$TORCH_HOME/hub/checkpoints/`, default `~/.cache/torch/hub/checkpoints/`, honouring
/// `$XDG_CACHE_HOME`) or given explicitly.
public enum PretrainedResNet {
    /// The V1 file names torchvision has published for each depth (newest first).
    public static func knownFileNames(_ depth: ResNetDepth) -> [String] {
        switch depth {
        case .resnet18: return ["resnet18-f37072fd.pth", "resnet18-5c106cde.pth"]
        case .resnet34: return ["resnet34-b627a593.pth", "resnet34-333f7ec4.pth"]
        case .resnet50: return ["resnet50-0676ba61.pth", "resnet50-19c8e357.pth"]
        case .resnet101: return ["resnet101-63fe2227.pth", "resnet101-5d3b4d8f.pth"]
        case .resnet152: return ["resnet152-394f9c45.pth", "resnet152-b121ed2d.pth"]
        }
    }

    /// torchvision's later "V2" recipes, which Monodepth2 never used (refused).
    public static let v2FileNames: Set<String> = ["resnet50-11ad3fa6.pth", "resnet101-cd907fc2.pth", "resnet152-f82ba261.pth"]

    /// The folders searched, in order.
    public static func searchFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        if let torchHome = environment["TORCH_HOME"], !torchHome.isEmpty {
            folders.append(URL(fileURLWithPath: torchHome).appendingPathComponent("hub/checkpoints"))
        }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            folders.append(URL(fileURLWithPath: cache).appendingPathComponent("torch/hub/checkpoints"))
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        folders.append(URL(fileURLWithPath: home).appendingPathComponent(".cache/torch/hub/checkpoints"))
        var seen = Set<String>()
        return folders.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// The weights file for `depth`: `explicit` if given (it must exist), else the first known V1
    /// file in the search folders, else any other `resnet{N}-*.pth` there that is not a V2 file.
    /// Throws `.missingFile` naming exactly which file to put where.
    public static func locate(_ depth: ResNetDepth, explicit: URL? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws(CheckpointError) -> URL {
        let manager = FileManager.default
        let wanted = knownFileNames(depth)[0]
        if let explicit {
            guard manager.fileExists(atPath: explicit.path) else {
                throw .missingFile(file: explicit.path, hint: "Pass the path of torchvision's ImageNet ResNet-\(depth.rawValue) weights (\(wanted)).")
            }
            return explicit
        }
        let folders = searchFolders(environment: environment)
        for folder in folders {
            for name in knownFileNames(depth) where manager.fileExists(atPath: folder.appendingPathComponent(name).path) {
                return folder.appendingPathComponent(name)
            }
        }
        for folder in folders {
            let names = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            if let name = names.first(where: { $0.hasPrefix("resnet\(depth.rawValue)-") && $0.hasSuffix(".pth") && !v2FileNames.contains($0) }) {
                return folder.appendingPathComponent(name)
            }
        }
        throw .missingFile(
            file: folders[0].appendingPathComponent(wanted).path,
            hint: "ImageNet weights for ResNet-\(depth.rawValue) are needed for --weights_init pretrained and nothing is downloaded: "
                + "put torchvision's \(wanted) (https://download.pytorch.org/models/\(wanted)) into "
                + folders.map(\.path).joined(separator: " or ") + ", or pass its path explicitly.")
    }

    /// Loads a torchvision ResNet state dict (`conv1.weight`, `bn1.*`, `layer1.0.conv1.weight`, …,
    /// `fc.*`) into `encoder` (keys gain the `encoder.` prefix), strictly. For a multi-image encoder,
    /// conv1 (64, 3, 7, 7) is concatenated `inputImages` times along the input channels and divided
    /// by `inputImages`, as `resnet_multiimage_input` does.
    public static func load(_ stateDict: StateDict, into encoder: ResnetEncoder, file: String) throws(CheckpointError) {
        let n = encoder.inputImages
        var mapped = StateDict()
        for (key, array) in stateDict.tensors {
            var value = array
            if key == "conv1.weight" && n > 1 {
                guard array.shape.count == 4, array.shape[1] == 3 else {
                    throw .shapeMismatch(file: file, key: key, modelShape: [64, 3, 7, 7], fileShape: array.shape)
                }
                value = replicateInputChannels(array, times: n)
            }
            mapped.tensors.append(("encoder." + key, value))
        }
        mapped.extras = stateDict.extras
        try encoder.load(mapped, file: file, mode: .strict)
    }

    /// Locates (see `locate`) and loads the ImageNet weights into `encoder`; returns the file used.
    @discardableResult
    public static func load(into encoder: ResnetEncoder, explicit: URL? = nil) throws(CheckpointError) -> URL {
        let url = try locate(encoder.depth, explicit: explicit)
        try load(try CheckpointFile.read(url), into: encoder, file: url.path)
        return url
    }

    /// torch.cat([w] * n, 1) / n in float32 (true division, like torch).
    static func replicateInputChannels(_ array: NDArray, times n: Int) -> NDArray {
        let w = Tensor(array)
        let repeated = concat([Tensor](repeating: w, count: n), axis: 1) / Tensor(Float(n))
        return NDArray(repeated)
    }
}
