import Golden
import HDL

/// The range-BN circuits' FP unit modules of one format: the shared data-port units
/// (`FloatUnits.addUnit()` ...), instantiated through `FPUnitInstances`.
struct RangeBNUnitModules {
    let add: Module, sub: Module, mul: Module, maximum: Module, minimum: Module

    init(_ units: FloatUnits) {
        add = units.addUnit()
        sub = units.subUnit()
        mul = units.mulUnit()
        maximum = units.maximumUnit()
        minimum = units.minimumUnit()
    }
}
