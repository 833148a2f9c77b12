using PortCustoms.Cli;

namespace PortCustoms.Cli.Tests;

public sealed class PortCustomsCliTests
{
    [Fact]
    public async Task InvokeAsync_UnknownCommand_ReturnsUsageError() =>
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["no-such-command"]));

    [Fact]
    public async Task InvokeAsync_Help_ReturnsSuccess() =>
        Assert.Equal(PortCustomsCli.Success, await PortCustomsCli.InvokeAsync(["--help"]));

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("many")]
    public async Task InvokeAsync_ValidateMaxFindingsBelowOne_ReturnsUsageError(string value) =>
        Assert.Equal(PortCustomsCli.UsageOrFailure, await PortCustomsCli.InvokeAsync(["validate", "--max-findings", value, "x.edi"]));
}
