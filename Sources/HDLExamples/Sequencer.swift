import HDL

extension Examples {
    /// A start/busy/done controller built with the FSM helper: after `start` it stays busy for
    /// `cycles` clock cycles, then pulses `done` for one cycle and returns to idle.
    public static func sequencer(cycles: Int = 5) -> Module {
        let counterWidth = bitsFor(cycles)
        return Module("Sequencer_c\(cycles)") {
            let start = Input("start", .bool)
            let busy = Output("busy", .bool)
            let done = Output("done", .bool)
            let fsm = FSM("state", states: ["idle", "run", "finish"])
            let remaining = Reg("remaining", .uint(counterWidth), reset: 0)
            Switch(fsm.state) {
                fsm.Case("idle") {
                    When(start) {
                        fsm.goto("run")
                        remaining <== cycles - 1
                    }
                }
                fsm.Case("run") {
                    When(remaining == 0) {
                        fsm.goto("finish")
                    }.Otherwise {
                        remaining <== remaining &- 1
                    }
                }
                fsm.Case("finish") {
                    fsm.goto("idle")
                }
                Default {
                    fsm.goto("idle")
                }
            }
            busy <== fsm.inState("run")
            done <== fsm.inState("finish")
        }
    }
}
