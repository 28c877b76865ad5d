import ArgumentParser
import Golden

/// `normforge formats`: the named floating-point formats and their parameters.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats", abstract: "List the named number formats.")

    func run() throws {
        print("name   e  f  width  bias  emin  emax  specials")
        for f in FloatFormat.named {
            print(f.name.padding(toLength: 6, withPad: " ", startingAt: 0),
                  f.exponentBits, f.fractionBits, f.width, f.bias, f.minExponent, f.maxExponent,
                  f.specials.rawValue)
        }
    }
}
