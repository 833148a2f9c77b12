namespace PortCustoms.LocalHost.Tests;
