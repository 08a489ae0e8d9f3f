"""Every write of the members app, one module per subject. Each service checks, opens one
transaction, locks what it changes, saves with `update_fields`, writes an audit entry and
leaves side effects (e-mail, file deletion) to `transaction.on_commit`."""
