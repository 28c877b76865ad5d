/// Small example designs written in the HDL DSL: the foundation's showcase and the shared
/// fixtures of the HDL and Cosim test suites.
public enum Examples {}
