using PortCustoms.Cli;

return await PortCustomsCli.InvokeAsync(args).ConfigureAwait(false);
