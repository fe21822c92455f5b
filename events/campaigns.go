package events

// Event types of citizen test campaigns.
const (
	TypeCampaignCreated  = "campaign.created"
	TypeScenarioFinished = "campaign.scenario.finished"
	TypePhrasingAssigned = "campaign.phrasing.assigned"
)

// CampaignCreated opens a citizen test campaign: testers outside the project
// team try the bot from an invite URL carrying Token, and their conversations
// are tagged with the campaign's ID, kept apart from production figures. It
// travels on the audit topic, which every process follows from the start, so
// that any API process knows the token.
type CampaignCreated struct {
	CampaignID string   `json:"campaign_id"`
	Name       string   `json:"name"`
	Token      string   `json:"token"`               // the invite token, 128 random bits or more
	Scenarios  []string `json:"scenarios,omitempty"` // tasks given to the testers, in order
	StartsAt   string   `json:"starts_at,omitempty"` // RFC 3339; empty: at once
	EndsAt     string   `json:"ends_at,omitempty"`   // RFC 3339; empty: never
	By         string   `json:"by"`
}

// ScenarioFinished records a tester's word on one scenario of a campaign: the
// task done or not. The tester's messages since the previous scenario belong
// to this one.
type ScenarioFinished struct {
	Campaign string `json:"campaign"`
	Scenario int    `json:"scenario"` // its index in the campaign's scenarios, from 0
	Done     bool   `json:"done"`
}

// PhrasingAssigned records an expert's word that a tester's phrasing meant an
// entry: a draft version of the entry with the phrasing as alternative follows
// it on the knowledge base topic. It travels there too, kept for ever, with no
// conversation id.
type PhrasingAssigned struct {
	PhrasingID string `json:"phrasing_id"` // the utterance's event id
	Campaign   string `json:"campaign,omitempty"`
	EntryID    string `json:"entry_id"`
	Text       string `json:"text"`
	By         string `json:"by"`
}

func (CampaignCreated) EventType() string  { return TypeCampaignCreated }
func (ScenarioFinished) EventType() string { return TypeScenarioFinished }
func (PhrasingAssigned) EventType() string { return TypePhrasingAssigned }
