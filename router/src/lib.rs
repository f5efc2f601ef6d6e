//! The federation router: composes the subgraph schemas into a supergraph, plans each
//! operation across subgraphs and executes it. Empty until the router issue fills it.
