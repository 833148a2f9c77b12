namespace PortCustoms.Core.Tests;
