namespace PortCustoms.Functions.Tests;
