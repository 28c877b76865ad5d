import HDL

/// The diagnostics `Design(top:)` throws for `module`, as printed (empty when it elaborates).
func diagnostics(_ module: Module) -> [String] {
    do {
        _ = try Design(top: module)
        return []
    } catch let error as ElaborationError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected error \(error)"]
    }
}
