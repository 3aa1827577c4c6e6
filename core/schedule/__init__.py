"""The schedule: members' availability, the recurring slot, the meeting series, reminders,
digests, calendar invitations and attendance."""
