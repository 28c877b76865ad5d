/// The files that let another flow pick up an emitted design: a FuseSoC CAPI2 core
/// (`<top>.core`) and a plain file list (`<top>.f`), both naming the `.sv` files relative to
/// their own directory, submodules before the modules that instantiate them.
///
/// The core has three targets: `default` (the files only, for a parent core to depend on),
/// `lint` (Verilator `--lint-only -Wall`) and `sim` (Icarus `-g2012` by default, Verilator
/// `--binary` with `--tool verilator`), both with `top` as the toplevel. A macro has no stimulus
/// of its own: `sim` elaborates and runs it with none (the check that both simulators accept it);
/// `normforge vectors` and `testbenches/cocotb/` drive it.
public struct DesignPackage: Sendable, Hashable {
    /// The top module's name.
    public let top: String
    /// `.sv` file names, dependency order, the top's last.
    public let files: [String]
    /// A one-line description (the generator's parameters); goes into the core's `description`.
    public let description: String
    /// The VLNV's vendor and library (`normforge:macro:<top>:<version>`).
    public let vendor: String
    public let library: String
    public let version: String

    public init(top: String, files: [EmittedFile], description: String,
                vendor: String = "normforge", library: String = "macro", version: String = "1.0.0") {
        self.top = top
        self.files = files.map(\.fileName)
        self.description = description
        self.vendor = vendor
        self.library = library
        self.version = version
    }

    /// The core's name without version, as `fusesoc run` takes it.
    public var coreName: String { "\(vendor):\(library):\(top)" }

    /// `<top>.core`.
    public var coreFileName: String { "\(top).core" }

    /// `<top>.f`.
    public var fileListName: String { "\(top).f" }

    /// The FuseSoC CAPI2 core text.
    public var coreText: String {
        let fileLines = files.map { "      - \(Self.yamlQuoted($0))" }.joined(separator: "\n")
        return """
            CAPI=2:
            # Written by NormForge with the SystemVerilog files next to it; regenerate, do not edit.
            name: \(Self.yamlQuoted("\(coreName):\(version)"))
            description: \(Self.yamlQuoted(description))

            filesets:
              rtl:
                file_type: systemVerilogSource
                files:
            \(fileLines)

            targets:
              default:
                filesets: [rtl]
              lint:
                default_tool: verilator
                filesets: [rtl]
                toplevel: \(Self.yamlQuoted(top))
                tools:
                  verilator:
                    mode: lint-only
                    verilator_options: [-Wall]
              sim:
                default_tool: icarus
                filesets: [rtl]
                toplevel: \(Self.yamlQuoted(top))
                tools:
                  icarus:
                    iverilog_options: [-g2012]
                  verilator:
                    mode: binary
                    verilator_options: [\(ToolWorkarounds.verilatorFlags.joined(separator: ", "))]

            """
    }

    /// The plain file list: one path per line, dependency order.
    public var fileListText: String { files.joined(separator: "\n") + "\n" }

    /// YAML double-quoted scalar: safe for any text the generators put in names or descriptions.
    static func yamlQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 {
                    quoted += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
