import Foundation

/// Where the standard-cell flow finds its default library.
public enum StandardCellLibrary {
    /// The OSU 0.18 um standard cells of Debian's `qflow-tech-osu018` (installed by `make setup`):
    /// `normforge synth --asic` and `cosim --gate-level` use it when no `--liberty` is given.
    public static let defaultLiberty = URL(fileURLWithPath: "/usr/share/qflow/tech/osu018/osu018_stdcells.lib")
}
