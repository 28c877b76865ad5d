import HDL

extension Examples {
    /// A simple dual-port RAM: one write port (a bundle of enable, address, data) and one
    /// registered read port, in the style Yosys infers as a memory.
    public static func ram(depth: Int = 16, width: Int = 8) -> Module {
        let addressWidth = bitsFor(depth - 1)
        let writePort = BundleLayout(["enable": .bool, "address": .uint(addressWidth), "data": .uint(width)])
        return Module("RAM_d\(depth)_w\(width)") {
            let write = Input("write", writePort)
            let readAddress = Input("read_address", .uint(addressWidth))
            let readData = Output("read_data", .uint(width))
            let storage = Memory("storage", depth: depth, .uint(width))
            When(write.enable) {
                storage.write(write.address, write.data)
            }
            readData <== storage.read(readAddress)
        }
    }
}
