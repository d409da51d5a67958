package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Roles a token can have.
const (
	RoleRegion   = "region"   // one region's planning team: read and submit that region only
	RoleReviewer = "reviewer" // every region, read; waivers
	RoleAdmin    = "admin"    // everything
)

// Person is who a token belongs to, as the access file lists it.
type Person struct {
	// SHA256 is the hex SHA-256 of the token; the token itself is never stored.
	SHA256 string `yaml:"sha256"`
	Role   string `yaml:"role"`
	// Region is the one region a region token may read and submit.
	Region string `yaml:"region,omitempty"`
	// Name is shown in the audit trail as who did what.
	Name string `yaml:"name"`
}

// Access is the list of tokens that may sign in.
type Access struct {
	People []Person `yaml:"tokens"`
}

// mayRead reports whether p may see a region's plans.
func (p *Person) mayRead(region string) bool {
	return p.Role == RoleReviewer || p.Role == RoleAdmin || (p.Role == RoleRegion && p.Region == region)
}

// mayReview reports whether p sees every region, the roll-up and waivers.
func (p *Person) mayReview() bool { return p.Role == RoleReviewer || p.Role == RoleAdmin }

// LoadAccess reads an access file:
//
//	tokens:
//	  - {sha256: <hex>, role: region, region: London, name: London planning}
//
// An entry with an unknown role, a region token without a region or a
// hash that is not 64 hex digits is refused with its position.
func LoadAccess(path string) (*Access, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the access file: %w", err)
	}
	var a Access
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, p := range a.People {
		where := fmt.Sprintf("%s: token %d (%s)", path, i+1, p.Name)
		if _, err := hex.DecodeString(p.SHA256); err != nil || len(p.SHA256) != 64 {
			return nil, fmt.Errorf("%s: sha256 must be the 64 hex digits rdpcheck serve token prints", where)
		}
		switch p.Role {
		case RoleRegion:
			if p.Region == "" {
				return nil, fmt.Errorf("%s: a region token needs the region it belongs to", where)
			}
		case RoleReviewer, RoleAdmin:
		default:
			return nil, fmt.Errorf("%s: role %q; use region, reviewer or admin", where, p.Role)
		}
		if p.Name == "" {
			return nil, fmt.Errorf("%s: give the token a name, shown in the audit trail", where)
		}
	}
	return &a, nil
}

// HashToken is the hex SHA-256 of a token, as the access file holds it.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Find returns the person a token belongs to, or nil. Every entry is
// compared in constant time.
func (a *Access) Find(token string) *Person {
	if a == nil || token == "" {
		return nil
	}
	return a.byHash(HashToken(token))
}

// NewToken makes a random token (256 bits) and the access-file entry
// for it.
func NewToken(role, region, name string) (token string, entry Person, err error) {
	switch role {
	case RoleRegion:
		if region == "" {
			return "", entry, fmt.Errorf("a region token needs --region")
		}
	case RoleReviewer, RoleAdmin:
		region = ""
	default:
		return "", entry, fmt.Errorf("role %q: use region, reviewer or admin", role)
	}
	if name == "" {
		return "", entry, fmt.Errorf("give the token a --name, shown in the audit trail")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", entry, err
	}
	token = "rdp_" + base64.RawURLEncoding.EncodeToString(b)
	return token, Person{SHA256: HashToken(token), Role: role, Region: region, Name: name}, nil
}

// EntryYAML is the access-file line for an entry.
func EntryYAML(p Person) string {
	b, _ := yaml.Marshal([]Person{p})
	return strings.TrimRight(string(b), "\n")
}

// byHash returns the person whose token has the hex SHA-256 h, or nil
// (a session names its person by the token's hash).
func (a *Access) byHash(h string) *Person {
	if a == nil || h == "" {
		return nil
	}
	var found *Person
	for i := range a.People {
		if subtle.ConstantTimeCompare([]byte(h), []byte(strings.ToLower(a.People[i].SHA256))) == 1 {
			found = &a.People[i]
		}
	}
	return found
}
