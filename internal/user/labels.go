package user

// Key is the message key of the role's name, for pages and selects.
func (r Role) Key() string { return "account.role." + string(r) }

// StatusKey is the message key of the account's status.
func (u *User) StatusKey() string { return "admin.status." + u.Status() }

// statusKey is the message key of a status value, for filters.
func statusKey(s string) string { return "admin.status." + s }
