namespace PortCustoms.Cli.Tests;
