namespace PortCustoms.Core;
