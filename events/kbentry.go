package events

// KBEntry is a knowledge base entry as it travels on the log. Its JSON field
// names are those of the entries written since the first release, so that every
// log still decodes; package kb converts it to and from its own Entry.
type KBEntry struct {
	ID              string            `json:"id"`
	Question        string            `json:"question"`
	Alternatives    []string          `json:"alternatives,omitempty"`
	Negatives       []string          `json:"negatives,omitempty"`
	Answer          string            `json:"answer"`
	Reference       string            `json:"reference,omitempty"`
	AudienceAnswers map[string]string `json:"audience_answers,omitempty"`
	Audiences       []string          `json:"audiences,omitempty"`
	Service         string            `json:"service,omitempty"`
	Theme           string            `json:"theme,omitempty"`
	Source          string            `json:"source,omitempty"`
	Links           []KBLink          `json:"links,omitempty"`
	Kind            string            `json:"kind,omitempty"`
	National        bool              `json:"national,omitempty"`
	Demande         string            `json:"demande,omitempty"`
	Cluster         string            `json:"cluster,omitempty"`
	Status          string            `json:"status,omitempty"`
	Tenant          string            `json:"tenant,omitempty"`    // whose entry it is; empty: every tenant's
	ReviewBy        string            `json:"review_by,omitempty"` // YYYY-MM-DD
}

// KBLink is a labelled link shown under an answer.
type KBLink struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}
