"""The outbox: every e-mail is a row, queued in the transaction of its cause and delivered
by the background worker (tcri_site.mail.services.enqueue_email)."""
