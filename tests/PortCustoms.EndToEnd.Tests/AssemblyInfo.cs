namespace PortCustoms.EndToEnd.Tests;
