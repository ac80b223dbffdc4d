"""Reports: reconcile declared vs. code vs. traffic evidence into findings, and render them."""
