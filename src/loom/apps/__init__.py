"""Built-in N scenario apps, registered through the ``loom.apps`` entry-point group."""
