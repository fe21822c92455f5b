package events

// registration is what the log knows of one event type.
type registration struct {
	version int            // current schema version; [Decode] refuses others
	topic   string         // where events of the type go
	payload func() Payload // an empty payload to decode into
}

// registry lists every event type: adding a type is one line here (and its
// payload struct).
var registry = map[string]registration{
	TypeConversationStarted: {1, TopicConversations, func() Payload { return new(ConversationStarted) }},
	TypeUtteranceReceived:   {1, TopicConversations, func() Payload { return new(UtteranceReceived) }},
	TypeBotDecision:         {1, TopicConversations, func() Payload { return new(BotDecision) }},
	TypeFeedbackGiven:       {1, TopicConversations, func() Payload { return new(FeedbackGiven) }},
	TypeConversationEnded:   {1, TopicConversations, func() Payload { return new(ConversationEnded) }},
	TypeKBEntryDrafted:      {1, TopicKB, kbChange(TypeKBEntryDrafted)},
	TypeKBEntryValidated:    {1, TopicKB, kbChange(TypeKBEntryValidated)},
	TypeKBEntryPublished:    {1, TopicKB, kbChange(TypeKBEntryPublished)},
	TypeKBEntryRetired:      {1, TopicKB, kbChange(TypeKBEntryRetired)},
	TypeTokenCreated:        {1, TopicAudit, func() Payload { return new(TokenCreated) }},
	TypeTokenRevoked:        {1, TopicAudit, func() Payload { return new(TokenRevoked) }},
	TypeAccountCreated:      {1, TopicAudit, func() Payload { return new(AccountCreated) }},
	TypeAccountDisabled:     {1, TopicAudit, func() Payload { return new(AccountDisabled) }},
	TypeAccountPasswordSet:  {1, TopicAudit, func() Payload { return new(AccountPasswordSet) }},
	TypeSessionOpened:       {1, TopicAudit, func() Payload { return new(SessionOpened) }},
	TypeSessionSeen:         {1, TopicAudit, func() Payload { return new(SessionSeen) }},
	TypeSessionEnded:        {1, TopicAudit, func() Payload { return new(SessionEnded) }},
	TypeReplayRequested:     {1, TopicAudit, func() Payload { return new(ReplayRequested) }},
	TypeConversationErased:  {1, TopicAudit, func() Payload { return new(ConversationErased) }},
	TypeSuggestionChosen:    {1, TopicConversations, func() Payload { return new(SuggestionChosen) }},
	TypeSuggestionReviewed:  {1, TopicKB, func() Payload { return new(SuggestionReviewed) }},
	TypeTenantDeclared:      {1, TopicAudit, func() Payload { return new(TenantDeclared) }},

	// Demandes: filed, followed by agents, delivered to a service platform.
	TypeDemandeFiled:          {1, TopicDemandes, func() Payload { return new(DemandeFiled) }},
	TypeDemandeStatusChanged:  {1, TopicDemandes, func() Payload { return new(DemandeStatusChanged) }},
	TypeDemandeDelivered:      {1, TopicDemandes, func() Payload { return new(DemandeDelivered) }},
	TypeDemandeDeliveryFailed: {1, TopicDemandes, func() Payload { return new(DemandeDeliveryFailed) }},
	TypeDemandeContactErased:  {1, TopicDemandes, func() Payload { return new(DemandeContactErased) }},

	// Citizen test campaigns.
	TypeCampaignCreated:  {1, TopicAudit, func() Payload { return new(CampaignCreated) }},
	TypeScenarioFinished: {1, TopicConversations, func() Payload { return new(ScenarioFinished) }},
	TypePhrasingAssigned: {1, TopicKB, func() Payload { return new(PhrasingAssigned) }},
}

// kbChange makes the empty payload of one step of an entry's lifecycle: the
// steps share a payload, told apart by the event's type.
func kbChange(typ string) func() Payload {
	return func() Payload { return &KBEntryChanged{Type: typ} }
}
