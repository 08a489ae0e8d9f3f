"""The notifications outbox: creating notifications (`outbox`), delivering them exactly once
(`delivery`), recording scheduled runs (`runs`, `jobs`) and the reads and writes of the
pages (`selectors`, `services`).

Other apps' scans build `outbox.Message`s from database state and call
`outbox.queue_notifications`; the texts are this app's templates
(members/templates/members/notifications/<kind>_subject.txt and _body.txt), rendered with
plain data in the recipient's language and the association's time zone.
"""
