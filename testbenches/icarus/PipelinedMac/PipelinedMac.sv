// Two-stage pipelined multiply-accumulate, y = a * b + c (mod 2^64), latency 2 cycles.
// The reference design of the co-simulation tests and of `normforge bench cosim`.
module PipelinedMac (
    input  logic        clk,
    input  logic        rst,
    input  logic        in_valid,
    input  logic [31:0] a,
    input  logic [31:0] b,
    input  logic [63:0] c,
    output logic        out_valid,
    output logic [63:0] y
);
    logic [63:0] product;
    logic [63:0] addend;
    logic        stage1_valid;

    always_ff @(posedge clk) begin
        if (rst) begin
            product      <= '0;
            addend       <= '0;
            stage1_valid <= 1'b0;
            y            <= '0;
            out_valid    <= 1'b0;
        end else begin
            product      <= 64'(a) * 64'(b);
            addend       <= c;
            stage1_valid <= in_valid;
            y            <= product + addend;
            out_valid    <= stage1_valid;
        end
    end
endmodule
