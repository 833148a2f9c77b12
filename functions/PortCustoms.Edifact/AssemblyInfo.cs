namespace PortCustoms.Edifact;
